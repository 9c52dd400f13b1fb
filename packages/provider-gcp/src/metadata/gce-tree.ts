import type { GceProjectConfig } from './gce-options.js';
import type { ResolvedInstance } from './instance-config.js';
import type { MetadataDirectory } from './metadata-tree.js';
import { digits, directory, indexedDirectory, list, text } from './metadata-tree.js';

export interface GceTreeInput {
  readonly instance: ResolvedInstance;
  readonly project: GceProjectConfig;
  readonly universeDomain: string;
  readonly serviceAccount: { email: string; scopes: readonly string[]; hasIdentity: boolean };
}

/**
 * `computeMetadata/v1/` with the shapes of reference/gcp-metadata.md §1.3: fully qualified zone
 * and machine type (clients take the last path segment), `tags` JSON by default, service accounts
 * under `default/` and their email alike.
 */
export function buildGceTree({
  instance,
  project,
  universeDomain,
  serviceAccount,
}: GceTreeInput): MetadataDirectory {
  const projectPath = `projects/${project.numericProjectId}`;
  const account = directory({
    aliases: list(['default']),
    email: text(serviceAccount.email),
    scopes: list(serviceAccount.scopes),
    token: { kind: 'endpoint', name: 'token' },
    identity: serviceAccount.hasIdentity ? { kind: 'endpoint', name: 'identity' } : undefined,
  });
  return directory({
    instance: directory({
      attributes: attributes(instance.attributes),
      'cpu-platform': text(instance.cpuPlatform),
      description: text(instance.description),
      disks: indexedDirectory([
        directory({
          'device-name': text('persistent-disk-0'),
          index: digits(0),
          mode: text('READ_WRITE'),
          type: text('PERSISTENT'),
        }),
      ]),
      hostname: text(instance.hostname),
      id: digits(instance.id),
      image: text(instance.image),
      'machine-type': text(`${projectPath}/machineTypes/${instance.machineType}`),
      'maintenance-event': text('NONE'),
      name: text(instance.name),
      'network-interfaces': indexedDirectory([
        directory({
          'access-configs': indexedDirectory([]),
          'dns-servers': text('169.254.169.254'),
          'forwarded-ips': indexedDirectory([]),
          'ip-aliases': indexedDirectory([]),
          ip: text(instance.networkIp),
          mac: text(instance.mac),
          mtu: digits(1460),
          network: text(`${projectPath}/networks/default`),
        }),
      ]),
      preempted: text('FALSE'),
      scheduling: directory({
        'automatic-restart': text('TRUE'),
        'on-host-maintenance': text('MIGRATE'),
        preemptible: text('FALSE'),
      }),
      // One account, as GCE attaches one; both names resolve to the same directory (§1.4).
      'service-accounts': directory(
        { default: account, [serviceAccount.email]: account },
        { verbatimKeys: true },
      ),
      tags: list(instance.tags, 'json'),
      'virtual-clock': directory({ 'drift-token': text('0') }),
      zone: text(`${projectPath}/zones/${instance.zone}`),
    }),
    project: directory({
      attributes: attributes(project.attributes ?? {}),
      'numeric-project-id': digits(project.numericProjectId),
      'project-id': text(project.projectId),
    }),
    universe: directory({ 'universe-domain': text(universeDomain) }),
  });
}

function attributes(values: Readonly<Record<string, string>>): MetadataDirectory {
  return directory(
    Object.fromEntries(Object.entries(values).map(([key, value]) => [key, text(value)])),
    { verbatimKeys: true },
  );
}
