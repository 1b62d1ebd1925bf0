// The commands that fix a finding: installing (or reinstalling) packages on each distribution
// family. Pure.
import type { ToolSpec } from './catalog.js';
import type { Fix } from './types.js';

export const apt = (pkgs: readonly string[]) => `sudo apt-get install -y ${pkgs.join(' ')}`;
export const dnf = (pkgs: readonly string[]) => `sudo dnf install -y ${pkgs.join(' ')}`;
export const installFix = (debian: readonly string[], fedora: readonly string[]): Fix => ({ debian: apt(debian), fedora: dnf(fedora) });

export const reinstallFix = (spec: ToolSpec): Fix => ({ debian: `sudo apt-get install --reinstall -y ${spec.debian.join(' ')}`, fedora: `sudo dnf reinstall -y ${spec.fedora.join(' ')}` });

