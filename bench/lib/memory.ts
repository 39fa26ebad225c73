// Resident memory of a process tree, read from /proc (Linux): every descendant of a process, with its RSS.
import fs from "node:fs";

export type ProcessMemory = { pid: number; name: string; rssMb: number };

function parentOf(pid: number): number | null {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses, so split after the last ")".
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return null;
  }
}

/** `root` and every process descended from it that is still alive. */
export function processTree(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = parentOf(Number(entry));
    if (ppid !== null) parents.set(Number(entry), ppid);
  }
  const inTree = (pid: number): boolean => {
    for (let p: number | undefined = pid, hops = 0; p !== undefined && p > 1 && hops < 64; p = parents.get(p), hops++) if (p === root) return true;
    return false;
  };
  return [...parents.keys()].filter(inTree).sort((a, b) => a - b);
}

function nameOf(pid: number): string {
  try {
    const args = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    const shown = args.map((a, i) => (i === 0 || a.includes("/") ? a.split("/").slice(-2).join("/") : a)).join(" ");
    return shown.length > 48 ? `${shown.slice(0, 47)}…` : shown || fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "?";
  }
}

/** RSS of each live process in the tree under `root` (those that exit while being read are left out). */
export function treeMemory(root: number): ProcessMemory[] {
  const out: ProcessMemory[] = [];
  for (const pid of processTree(root)) {
    try {
      const kb = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
      if (kb) out.push({ pid, name: nameOf(pid), rssMb: Number(kb) / 1024 });
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}
