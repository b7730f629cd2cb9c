#!/usr/bin/env python3
"""Records node-shell scenarios from the real tools (bash 5.2, coreutils 9.1, GNU grep 3.8,
GNU sed 4.9 on Debian 12) into transcripts that src/node/scenario_test.rs replays.

Each scenario runs in a fresh copy of the node's filesystem (the fixture the Rust side
exports as JSON), chrooted so that absolute paths are the node's, in a private mount
namespace, by one interactive bash (so errors read `bash: cd: ...`, not `bash: line 1:`),
with LANG=C.UTF-8 and TZ=UTC. The clock is frozen at 2024-05-01 10:05:00 (libfaketime)
and every file a command touched gets mtime 2024-05-01 10:00:00 afterwards, so `ls -l`
prints the same dates as the simulation, whose clock starts at 10:00:00.

Usage (as root, from the repository root):
    NODE_FIXTURE=/tmp/node-fixture.json cargo test --profile ci --no-default-features \\
        --lib node::scenario_test::export_fixture -- --ignored
    python3 src/node/testdata/record.py /tmp/node-fixture.json src/node/testdata/*.txt

`grep -r` reads a directory in readdir order (ext4's hash order, not by name): a scenario
keeps to one matching file per directory there.

Transcript format (as ../shared/conformance/FORMAT.md section 3): `$ COMMAND`, the
here-document lines and their terminator, stdout lines, stderr lines prefixed `! `, and
`? N` when the exit status is not 0.
"""
import base64, json, os, shutil, subprocess, sys, tempfile, time

T_WRITE = 1714557600  # 2024-05-01 10:00:00 UTC
FAKE_NOW = "2024-05-01 10:05:00"
FAKETIME_LIB = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"
BINDS = ["bin", "usr", "lib", "lib64", "sbin"]
REC = "dev/.rec"


def parse_scenario(path):
    """[(command, heredoc_lines or None)]"""
    out = []
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line.startswith("$ "):
            if line.strip() and not line.startswith("#"):
                raise SystemExit(f"{path}: stray line {line!r}")
            continue
        cmd = line[2:]
        delim = heredoc_delim(cmd)
        body = None
        if delim is not None:
            body = []
            while i < len(lines) and lines[i] != delim:
                body.append(lines[i])
                i += 1
            i += 1
        out.append((cmd, body, delim))
    return out


def heredoc_delim(cmd):
    if "<<" not in cmd:
        return None
    rest = cmd.split("<<", 1)[1].lstrip("-").strip()
    word = rest.split()[0] if rest.split() else ""
    return word.strip("'\"")


def build(node, path):
    """Writes a fixture node (serde's externally tagged Node) at path, then its metadata."""
    if "Dir" in node:
        d = node["Dir"]
        os.makedirs(path, exist_ok=True)
        for name, child in d["entries"].items():
            build(child, os.path.join(path, name))
        meta = d["meta"]
    else:
        f = node["File"]
        with open(path, "wb") as fh:
            fh.write(bytes(f["data"]))
        meta = f["meta"]
    os.chown(path, meta["uid"], meta["gid"])
    os.chmod(path, meta["mode"])
    t = meta["mtime"] / 1000
    os.utime(path, (t, t))


def retouch(root, stamp_ns):
    """Gives every file changed since the stamp the scenario's write time."""
    skip = {os.path.join(root, b) for b in BINDS} | {os.path.join(root, "dev")}
    for dirpath, dirnames, filenames in os.walk(root, topdown=True):
        dirnames[:] = [d for d in dirnames if os.path.join(dirpath, d) not in skip]
        for name in filenames + dirnames + ([] if dirpath != root else ["."]):
            p = os.path.normpath(os.path.join(dirpath, name))
            st = os.lstat(p)
            if st.st_mtime_ns > stamp_ns:
                os.utime(p, (T_WRITE, T_WRITE), follow_symlinks=False)


def record(fixture, scenario):
    steps = parse_scenario(scenario)
    base = tempfile.mkdtemp(prefix="nodeplay-", dir="/var/tmp")
    root = os.path.join(base, "root")
    try:
        build(fixture["root"], root)
        for b in BINDS:
            os.makedirs(os.path.join(root, b), exist_ok=True)
        os.makedirs(os.path.join(root, REC), exist_ok=True)
        # Debian's `awk` is mawk through /etc/alternatives, which the fixture has not
        alt = os.path.join(root, "etc/alternatives")
        os.makedirs(alt, exist_ok=True)
        if not os.path.lexists(os.path.join(alt, "awk")):
            os.symlink("/usr/bin/mawk", os.path.join(alt, "awk"))
        open(os.path.join(root, "dev/null"), "w").close()
        for d in [root, os.path.join(root, "dev")]:
            t = fixture["root"]["Dir"]["meta"]["mtime"] / 1000
            os.utime(d, (t, t))
        mounts = " && ".join(
            [f"mount --bind /{b} {root}/{b}" for b in BINDS if os.path.exists("/" + b)]
            + [f"mount --bind /dev/null {root}/dev/null"]
        )
        env = ("env -i LANG=C.UTF-8 TZ=UTC HOME=/root USER=root PS1= PS2= "
               f"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "
               f"LD_PRELOAD={FAKETIME_LIB} FAKETIME='{FAKE_NOW}'")
        shell = f"{mounts} && cd {root} && exec chroot {root} {env} bash --norc --noprofile --noediting -i"
        proc = subprocess.Popen(["unshare", "-m", "--propagation", "private", "sh", "-c", shell],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        proc.stdin.write(b"cd /root\n")
        out = []
        for n, (cmd, body, delim) in enumerate(steps):
            stamp = time.time_ns()
            time.sleep(0.01)
            block = f"exec 1>/{REC}/o{n} 2>/{REC}/e{n}\n{cmd}\n"
            if body is not None:
                block += "\n".join(body + [delim]) + "\n"
            block += f"echo $? >/{REC}/r{n}.tmp; mv /{REC}/r{n}.tmp /{REC}/r{n}\n"
            proc.stdin.write(block.encode())
            proc.stdin.flush()
            rc_path = os.path.join(root, REC, f"r{n}")
            deadline = time.time() + 20
            while not os.path.exists(rc_path):
                if time.time() > deadline:
                    raise SystemExit(f"{scenario}: command {cmd!r} did not finish")
                time.sleep(0.01)
            rc = int(open(rc_path).read().strip() or "0")
            so = open(os.path.join(root, REC, f"o{n}"), "rb").read().decode("utf-8", "replace")
            se = open(os.path.join(root, REC, f"e{n}"), "rb").read().decode("utf-8", "replace")
            retouch(root, stamp)
            out.append("$ " + cmd)
            if body is not None:
                out.extend(body + [delim])
            out.extend(render(so, ""))
            out.extend(render(se, "! "))
            if rc != 0:
                out.append(f"? {rc}")
        proc.stdin.write(b"exit\n")
        proc.stdin.close()
        proc.wait(timeout=20)
        with open(scenario.rsplit(".", 1)[0] + ".transcript", "w", encoding="utf-8") as fh:
            fh.write("\n".join(out) + "\n")
    finally:
        subprocess.run(["umount", "-R", root], stderr=subprocess.DEVNULL)
        shutil.rmtree(base, ignore_errors=True)


def render(text, prefix):
    if text == "":
        return []
    lines = []
    missing_nl = not text.endswith("\n")
    if not missing_nl:
        text = text[:-1]
    for l in text.split("\n"):
        lines.append(prefix + l if prefix else l)
    if missing_nl:
        lines.append((prefix or "") + "\\ No newline at end of " + ("stderr" if prefix else "stdout"))
    return lines


def main():
    fixture = json.load(open(sys.argv[1]))
    for s in sys.argv[2:]:
        record(fixture, s)
        print("recorded", s)


if __name__ == "__main__":
    main()
