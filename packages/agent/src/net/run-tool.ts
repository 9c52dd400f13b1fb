import { spawn } from 'node:child_process';

export interface ToolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A system tool (`ip`, `nft`) is not installed. */
export class ToolMissingError extends Error {
  override readonly name = 'ToolMissingError';
  constructor(
    readonly command: string,
    readonly debianPackage: string,
  ) {
    super(`${command} is not installed (Debian package ${debianPackage})`);
  }
}

/**
 * Runs `command args` without a shell (arguments are never interpreted), optionally feeding
 * `input` on stdin, and resolves with its exit status and output whatever the status.
 */
export function runTool(
  command: string,
  args: readonly string[],
  options: { input?: string; debianPackage: string },
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT' ? new ToolMissingError(command, options.debianPackage) : error,
      ),
    );
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    // A tool that exits before reading its input closes the pipe: its exit status says why.
    child.stdin.on('error', () => undefined).end(options.input ?? '');
  });
}
