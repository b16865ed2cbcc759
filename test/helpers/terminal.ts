import { type ChildProcess, spawn } from "node:child_process";
import { trackChild } from "./cleanup.js";
import { CLI, cliBaseEnv } from "./run-cli.js";

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, "'\\''")}'`;
}

/**
 * The CLI on a real pseudo-terminal (util-linux `script`), as a person runs it: stdin and stderr are a terminal.
 * `answer` is typed once `prompt` shows on the screen. Resolves with the exit code and everything shown.
 */
export async function runOnTerminal(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; answer?: string; prompt?: string },
): Promise<{ code: number | null; screen: string }> {
  const command = [process.execPath, CLI, ...args].map(shellQuote).join(" ");
  const child: ChildProcess = spawn("script", ["-qec", command, "/dev/null"], {
    cwd: options.cwd,
    env: { ...cliBaseEnv(), TERM: "xterm", COLUMNS: "120", ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  trackChild(child);
  const prompt = options.prompt ?? "to go ahead with";
  let screen = "";
  let answered = false;
  child.stdout?.on("data", (chunk: Buffer) => {
    screen += chunk.toString("utf8");
    if (options.answer !== undefined && !answered && screen.includes(prompt)) {
      answered = true;
      child.stdin?.write(`${options.answer}\n`);
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { code, screen };
}
