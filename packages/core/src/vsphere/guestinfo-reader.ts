import { execFile } from 'node:child_process';

/** guestinfo keys as vSphere stores them: `guestinfo.` and a name without spaces. */
const GUESTINFO_KEY = /^guestinfo\.[A-Za-z0-9_.-]+$/;

/** What VMware Tools answers for a key that was never set (exit status 1). */
const NO_VALUE = /No value found/i;

/** A VMware Tools command line that can run `info-get KEY` (the guest side of the RPC channel). */
interface GuestRpcTool {
  readonly command: string;
  args(rpc: string): string[];
}

/**
 * The tools that run a guest RPC, in order of preference: `vmware-rpctool` is the small dedicated
 * one; `vmtoolsd --cmd` is the daemon's own and present wherever open-vm-tools is.
 */
const TOOLS: readonly GuestRpcTool[] = [
  { command: 'vmware-rpctool', args: (rpc) => [rpc] },
  { command: 'vmtoolsd', args: (rpc) => ['--cmd', rpc] },
];

/** Reading guestinfo failed for another reason than an unset key (no tools, not on vSphere, ...). */
export class GuestInfoError extends Error {
  override readonly name = 'GuestInfoError';
}

/**
 * Reads vSphere guestinfo variables (VM advanced settings `guestinfo.*`) through VMware Tools,
 * with whichever of `vmware-rpctool` and `vmtoolsd` is on PATH. The tool is run directly
 * (execFile, no shell), with the RPC as one argument, so a key cannot inject anything; keys are
 * also checked against guestinfo's own syntax. Nothing is cached: a key re-read returns what the
 * provisioning tooling wrote last (a new secret_id, for instance).
 */
export class GuestInfoReader {
  /** The tool that worked last; found again if it disappears. */
  private tool: GuestRpcTool | undefined;

  constructor(private readonly timeoutMs = 5_000) {}

  /** The key's value with one trailing newline removed, or undefined when the key is not set. */
  async get(key: string): Promise<string | undefined> {
    if (!GUESTINFO_KEY.test(key)) {
      throw new GuestInfoError(`"${key}" is not a guestinfo key (guestinfo.NAME, no spaces)`);
    }
    const rpc = `info-get ${key}`;
    const tools = this.tool ? [this.tool, ...TOOLS.filter((t) => t !== this.tool)] : TOOLS;
    for (const tool of tools) {
      const outcome = await this.run(tool, rpc);
      if (outcome === 'missing') continue;
      this.tool = tool;
      if (outcome.code === 0) return outcome.stdout.replace(/\r?\n$/, '');
      if (outcome.code === 1 && NO_VALUE.test(outcome.stdout + outcome.stderr)) return undefined;
      throw new GuestInfoError(
        `${tool.command} "${rpc}" failed (exit ${outcome.code}): ${outcome.stderr.trim() || outcome.stdout.trim()}`,
      );
    }
    throw new GuestInfoError(
      'neither vmware-rpctool nor vmtoolsd is on PATH: install open-vm-tools to read guestinfo',
    );
  }

  private run(
    tool: GuestRpcTool,
    rpc: string,
  ): Promise<'missing' | { code: number; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      execFile(
        tool.command,
        tool.args(rpc),
        { timeout: this.timeoutMs, encoding: 'utf8' },
        (error, stdout, stderr) => {
          if (error === null) return resolve({ code: 0, stdout, stderr });
          if (error.code === 'ENOENT') return resolve('missing');
          if (typeof error.code === 'number') return resolve({ code: error.code, stdout, stderr });
          reject(new GuestInfoError(`${tool.command} "${rpc}" failed: ${error.message}`));
        },
      );
    });
  }
}
