import type { MetadataProvider } from '@guise/core';
import type { InjectionToken } from 'tsyringe';

/**
 * A dialect that must not share the metadata address, served on a listener of its own (Azure's
 * App Service dialect: `IDENTITY_ENDPOINT` on loopback). Registered under `SIDE_LISTENER`; the
 * agent listens for each and stops them with the rest.
 */
export interface SideListener {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly provider: MetadataProvider;
}

export const SIDE_LISTENER: InjectionToken<SideListener> = Symbol('guise.agent.SideListener');
