// The rc file of every interactive bash in a sandbox (`netns-tutor shell`, :shell, and a bash
// started inside one, such as `ip netns exec fox bash`, through ~/.bashrc). Its prompt names the
// network namespace the shell is in (fox:~#), so a nested shell never looks like the sandbox's
// own host. The init writes it to /run/tutor/bashrc (see init-script.ts).

/** `ip netns identify` names the namespace whose /run/netns entry is ours (empty in the
 *  sandbox's host). Once per shell: a shell cannot change its namespace, a new one reads this. */
export const SANDBOX_BASHRC = String.raw`[ -f /etc/bash.bashrc ] && . /etc/bash.bashrc
case $- in *i*) ;; *) return 0 2>/dev/null ;; esac
nt_netns=$(ip netns identify 2>/dev/null)
if [ -n "$nt_netns" ]; then
  # expanded when the prompt is drawn, never parsed as code: a name cannot run anything
  PS1='\[\e[1;33m\](netns-tutor sandbox)\[\e[0m\] \[\e[1;36m\]$nt_netns\[\e[0m\]:\w\$ '
else
  PS1='\[\e[1;33m\](netns-tutor sandbox)\[\e[0m\] \u@\h:\w\$ '
fi
alias ls='ls --color=auto'`;
