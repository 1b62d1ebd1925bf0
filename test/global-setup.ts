// Host invariance for the whole suite: the host's links, namespaces, routes, sysctls, firewall
// rules, /etc/sysctl.conf and mounts are recorded before any test runs, and the run FAILS, with a
// diff, if any of them differ afterwards. NETNS_TUTOR_TEST_FAKE_HOST_CHANGE=1 fakes a change in
// the second reading (only there), so the failure path itself can be tried without harming the host.
import { captureHostState, describeHostDiff, diffHostState } from './helpers/host-state.js';

export default function setup(): () => void {
  const before = captureHostState();
  return () => {
    const after = captureHostState();
    if (process.env.NETNS_TUTOR_TEST_FAKE_HOST_CHANGE) after.links += '\n{"ifname":"fake-change-for-the-test"}';
    const diff = diffHostState(before, after);
    if (diff.failures.length === 0 && diff.notes.length === 0) {
      process.stderr.write('host invariance: the host is unchanged after the run (links, netns, routes, sysctls, iptables, nft, sysctl.conf, mounts)\n');
      return;
    }
    const faked = process.env.NETNS_TUTOR_TEST_FAKE_HOST_CHANGE ? ' (a FAKED change: NETNS_TUTOR_TEST_FAKE_HOST_CHANGE is set, testing this guard)' : '';
    const text = describeHostDiff(diff, `the test run${faked}`);
    if (diff.failures.length > 0) {
      // vitest only logs an error thrown here; the exit code is what fails the run
      process.stderr.write(`\n${text}\n\nhost invariance: FAILED, the test run changed the host (diff above)${faked}\n`);
      process.exitCode = 1;
      return;
    }
    process.stderr.write(`\n${text}\n`);
  };
}
