// CPU time, read from /proc (Linux), so a benchmark can say what its figures cost: the CPU the app's
// processes used per event, and how much of the machine they had. On a machine shared with the load
// generator and the stand-ins, events per CPU second is the figure that does not move with the
// neighbours; events per wall second is bounded by whatever else runs.
import fs from "node:fs";
import os from "node:os";

const TICKS_PER_S = 100; // USER_HZ: 100 on every Linux Node.js supports

/** CPU time (user + system, all threads) used so far by the process `pid`, in ms. */
export function processCpuMs(pid: number): number {
  // Fields after the command name (which is in parentheses and may hold spaces): utime is the 14th field, stime the 15th.
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S;
}

/** CPU time of the whole machine so far, busy and in all, in ms (summed over its CPUs). */
export function machineCpuMs(): { busy: number; total: number } {
  const [line] = fs.readFileSync("/proc/stat", "utf8").split("\n");
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  const idle = ticks[3] + (ticks[4] ?? 0); // idle + iowait
  return { busy: ((total - idle) * 1000) / TICKS_PER_S, total: (total * 1000) / TICKS_PER_S };
}

export interface CpuWindow {
  /** CPU ms each watched process used in the window, by name. */
  byProcess: Record<string, number>;
  /** The machine's CPU ms in the window: busy, and available (wall time × CPUs). */
  machine: { busy: number; total: number };
  cpus: number;
}

/** Starts a window over the named processes; `end()` reads what each used since. */
export function cpuWindow(pids: Record<string, number>): { end(): CpuWindow } {
  const start = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, processCpuMs(pid)]));
  const machineStart = machineCpuMs();
  return {
    end() {
      const machine = machineCpuMs();
      return {
        byProcess: Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, processCpuMs(pid) - start[name]])),
        machine: { busy: machine.busy - machineStart.busy, total: machine.total - machineStart.total },
        cpus: os.cpus().length,
      };
    },
  };
}
