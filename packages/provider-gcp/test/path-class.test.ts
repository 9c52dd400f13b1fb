import { describe, expect, it } from 'vitest';
import { GceMetadataProvider } from '../src/index.js';
import { gcePathClass } from '../src/metadata/path-class.js';

describe('gcePathClass (the metrics label of a GCE metadata path)', () => {
  it.each([
    ['/computeMetadata/v1/instance/service-accounts/default/token', 'token'],
    ['/computeMetadata/v1/instance/service-accounts/app@p.iam.gserviceaccount.com/token', 'token'],
    ['/computeMetadata/v1/instance/service-accounts/default/identity', 'identity'],
    ['/computeMetadata/v1/instance/service-accounts/default/email', 'metadata'],
    ['/computeMetadata/v1/instance/id', 'metadata'],
    ['/computeMetadata/v1/project/project-id', 'metadata'],
    ['/computeMetadata/v1/', 'metadata'],
    ['/computeMetadata/v1', 'metadata'],
    ['/computeMetadata/', 'other'],
    ['/computeMetadata/v1beta1/instance/id', 'other'],
    ['/0.1/meta-data/project-id', 'other'],
    ['/', 'other'],
  ])('%s → %s', (path, expected) => {
    expect(gcePathClass(path)).toBe(expected);
  });

  it('is what the provider reports to metrics', () => {
    expect(
      GceMetadataProvider.prototype.pathClass.call(
        undefined,
        '/computeMetadata/v1/instance/service-accounts/default/token',
      ),
    ).toBe('token');
  });
});
