import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface FakeGuestInfoOptions {
  /** Which VMware Tools command to stand in for; default `vmware-rpctool`. */
  readonly tool?: 'vmware-rpctool' | 'vmtoolsd';
  /** Values set from the start. */
  readonly values?: Readonly<Record<string, string>>;
}

/** A stand-in for VMware Tools' guestinfo channel, whose values the test controls. */
export interface FakeGuestInfo {
  /** A directory holding only the stand-in tool: put it first on PATH. */
  readonly binDir: string;
  /** `PATH` with `binDir` first (for child processes or `vi.stubEnv`). */
  readonly path: string;
  /** Sets a key, as `vmware-rpctool "info-set KEY VALUE"` or the vSphere side would. */
  set(key: string, value: string): Promise<void>;
  unset(key: string): Promise<void>;
  /** Every RPC the tool was asked to run, in order (`info-get guestinfo.vault.roleid`). */
  calls(): Promise<string[]>;
  remove(): Promise<void>;
}

/**
 * Writes a small `/bin/sh` script named like the VMware Tools command that answers `info-get KEY`
 * from files in a private directory (exit 1 and "No value found" for an unset key, as the real
 * tools do) and logs each RPC. It runs builtins and `/bin/cat` only, so it works with PATH reduced
 * to its own directory (to prove the other tool is not needed).
 */
export async function createFakeGuestInfo(
  options: FakeGuestInfoOptions = {},
): Promise<FakeGuestInfo> {
  const root = await mkdtemp(path.join(tmpdir(), 'guise-guestinfo-'));
  const binDir = path.join(root, 'bin');
  const valuesDir = path.join(root, 'values');
  const log = path.join(root, 'calls.log');
  await mkdir(binDir);
  await mkdir(valuesDir);
  await writeFile(log, '');
  const tool = options.tool ?? 'vmware-rpctool';
  // vmtoolsd is called as `vmtoolsd --cmd "RPC"`, vmware-rpctool as `vmware-rpctool "RPC"`.
  const rpcArg = tool === 'vmtoolsd' ? '"$2"' : '"$1"';
  const script = `#!/bin/sh
rpc=${rpcArg}
printf '%s\\n' "$rpc" >> '${log}'
case "$rpc" in
  "info-get "*)
    key="\${rpc#info-get }"
    case "$key" in *[!A-Za-z0-9_.-]*) echo "Invalid key" >&2; exit 1;; esac
    if [ -f '${valuesDir}'/"$key" ]; then /bin/cat '${valuesDir}'/"$key"; echo; exit 0; fi
    echo "No value found" >&2; exit 1;;
  *) echo "Unknown command" >&2; exit 1;;
esac
`;
  const toolPath = path.join(binDir, tool);
  await writeFile(toolPath, script);
  await chmod(toolPath, 0o755);
  const fake: FakeGuestInfo = {
    binDir,
    path: `${binDir}${path.delimiter}${process.env.PATH ?? ''}`,
    set: (key, value) => writeFile(path.join(valuesDir, key), value),
    unset: (key) => rm(path.join(valuesDir, key), { force: true }),
    calls: async () => (await readFile(log, 'utf8')).split('\n').filter((line) => line !== ''),
    remove: () => rm(root, { recursive: true, force: true }),
  };
  for (const [key, value] of Object.entries(options.values ?? {})) await fake.set(key, value);
  return fake;
}
