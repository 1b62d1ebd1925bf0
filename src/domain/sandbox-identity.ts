// Who a sandbox is: how it was made, and whom root inside it is outside. Types only: the doctor's
// report (pure) and the sandbox (world) both speak of them.

/** 'userns': user namespaces (the only mode created). 'root' (real root without a user namespace)
 *  is refused, since CAP_SYS_ADMIN in the host's user namespace cannot be contained; it stays in the
 *  type so a registry entry or doctor report written by an older version still reads. */
export type SandboxMode = 'userns' | 'root';

/** Who root inside the sandbox is outside. 'range': `count` ids from `base` (root's tutor: an
 *  unused unprivileged range, never uid 0). 'self': the caller's own uid and gid (an ordinary
 *  user). */
export type SandboxIdentity = { kind: 'range'; base: number; count: number; mapperDir: string } | { kind: 'self' };
