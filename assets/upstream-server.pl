# The simulated internet's web server (perl-base: starts in a few ms, where node takes ~50).
# Answers every request with a short page naming the address it was asked on and the address the
# request came from, so NAT is visible. One connection at a time is plenty for a lab.
use strict;
use IO::Socket::INET;
$SIG{PIPE} = 'IGNORE';
my $server = IO::Socket::INET->new(LocalAddr => '0.0.0.0', LocalPort => 80, Listen => 64, ReuseAddr => 1, Proto => 'tcp')
  or die "upstream web server: cannot listen on :80: $!\n";
$| = 1;
print "listening\n";
close STDOUT;
while (my $c = $server->accept) {
  $c->timeout(2);
  my $line;
  while (defined($line = <$c>)) { last if $line =~ /^\r?\n$/; }
  my $body = "hello from the internet (" . $c->sockhost . ")\nyou came from " . $c->peerhost . "\n";
  print $c "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " . length($body) . "\r\nConnection: close\r\n\r\n$body";
  close $c;
}
