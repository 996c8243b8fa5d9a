#!/usr/bin/env python3
"""Drives an interactive program through a pseudo-terminal, as a person at a console would.

Usage: console_session.py --timeout S [--wait REGEX | --send TEXT | --sendenv NAME]... -- COMMAND ARGS...

Steps run in order: --wait blocks until REGEX matches the screen text seen so far (ANSI codes stripped), --send types
TEXT ("\\r" for Enter), --sendenv types the value of environment variable NAME (so a secret is never on a command
line). Cursor-position queries (ESC[6n) are answered, as a terminal does. Prints the whole screen text (ANSI stripped)
and exits 0 when every step ran and the program ended; 2 on a time-out (the program is killed).
"""
import fcntl, os, pty, re, select, signal, struct, sys, termios, time

ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[=>]|\x1b\][^\x07]*\x07")

def main(argv):
    sep = argv.index("--")
    opts, command = argv[:sep], argv[sep + 1:]
    timeout = 60.0
    steps = []
    i = 0
    while i < len(opts):
        if opts[i] == "--timeout":
            timeout = float(opts[i + 1])
        else:
            steps.append((opts[i], opts[i + 1]))
        i += 2
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.execvp(command[0], command)
    # A terminal has a size; PSReadLine divides by the width.
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 250, 0, 0))
    deadline = time.time() + timeout
    raw = b""

    def pump(wait):
        nonlocal raw
        end = min(deadline, time.time() + wait)
        while time.time() < end:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return False
            if not chunk:
                return False
            raw += chunk
            for _ in range(chunk.count(b"\x1b[6n")):
                os.write(fd, b"\x1b[1;1R")
        return True

    def text():
        return ANSI.sub(b"", raw).decode("utf-8", "replace")

    ok = True
    for kind, value in steps:
        if kind == "--wait":
            pattern = re.compile(value)
            while not pattern.search(text()):
                if time.time() >= deadline or not pump(0.2):
                    ok = False
                    break
            if not ok:
                sys.stderr.write("timed out waiting for /%s/\n" % value)
                break
        elif kind == "--send":
            os.write(fd, value.replace("\\r", "\r").encode())
        elif kind == "--sendenv":
            os.write(fd, os.environ.get(value, "").encode())
    while ok and time.time() < deadline:
        if not pump(0.5):
            break
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            pump(0.2)
            break
    else:
        ok = False
    if not ok:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    sys.stdout.write(text())
    return 0 if ok else 2

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
