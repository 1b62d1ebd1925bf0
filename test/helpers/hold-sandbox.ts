// A stand-in for the tutor, for the kill -9 test: creates a sandbox, starts background servers in
// it (through the persistent shell and through run), prints what identifies the sandbox as one
// JSON line, then holds it until it is killed. Run: node --import tsx test/helpers/hold-sandbox.ts
import { readlinkSync } from 'node:fs';
import { createSandbox } from '../../src/world/sandbox/sandbox.js';

const sb = await createSandbox();
const shell = await sb.openShell();
await shell.run('python3 -m http.server 8080 >/dev/null 2>&1 &');
await sb.run('sleep 1000 >/dev/null 2>&1 &');
const ready = await sb.run('for i in $(seq 200); do curl -s -o /dev/null 127.0.0.1:8080 && exit 0; sleep 0.025; done; exit 1');
process.stdout.write(
  `${JSON.stringify({
    ready: ready.exitCode === 0,
    initPid: sb.initPid,
    pidns: readlinkSync(`/proc/${sb.initPid}/ns/pid`),
    netns: readlinkSync(`/proc/${sb.initPid}/ns/net`),
    mntns: readlinkSync(`/proc/${sb.initPid}/ns/mnt`),
  })}\n`,
);
setInterval(() => {}, 60_000);
