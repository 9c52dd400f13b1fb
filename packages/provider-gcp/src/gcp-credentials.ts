/** An OAuth 2.0 access token as GCE's `token` endpoint serves it (`ya29.…`). */
export interface GcpAccessToken {
  readonly token: string;
}

/** What a client asks the `identity` endpoint for (reference/gcp-metadata.md §1.4). */
export interface IdTokenRequest {
  readonly audience: string;
  /** `full` asks for the `google.compute_engine` claims as well; every library sends it. */
  readonly format: 'standard' | 'full';
  readonly licenses: boolean;
}

/** A signed OpenID Connect ID token: a compact JWS, `header.payload.signature`. */
export type IdToken = string;
