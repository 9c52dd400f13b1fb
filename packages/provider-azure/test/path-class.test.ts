import { describe, expect, it } from 'vitest';
import { AzureImdsProvider } from '../src/index.js';
import { azureImdsPathClass } from '../src/imds/path-class.js';

describe('azureImdsPathClass (the metrics label of an Azure IMDS path)', () => {
  it.each([
    ['/metadata/identity/oauth2/token', 'token'],
    ['/Metadata/Identity/OAuth2/Token/', 'token'],
    ['/metadata/identity/info', 'identity'],
    ['/metadata/instance', 'instance'],
    ['/metadata/instance/compute/location', 'instance'],
    ['/metadata/versions', 'versions'],
    ['/metadata/scheduledevents', 'other'],
    ['/metadata', 'other'],
  ])('%s → %s', (path, expected) => {
    expect(azureImdsPathClass(path)).toBe(expected);
  });

  it('is what the provider reports to metrics', () => {
    expect(
      AzureImdsProvider.prototype.pathClass.call(undefined, '/metadata/identity/oauth2/token'),
    ).toBe('token');
  });
});
