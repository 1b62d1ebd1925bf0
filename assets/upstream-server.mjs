// The simulated internet's web server: answers every request with a short page naming the
// address it was asked on and the address the request came from (so NAT is visible).
import http from 'node:http';

const server = http.createServer((req, res) => {
  const local = req.socket.localAddress?.replace(/^::ffff:/, '');
  const remote = req.socket.remoteAddress?.replace(/^::ffff:/, '');
  res.setHeader('content-type', 'text/plain');
  res.end(`hello from the internet (${local})\nyou came from ${remote}\n`);
});
server.listen(80, '0.0.0.0', () => process.stdout.write('listening\n'));
