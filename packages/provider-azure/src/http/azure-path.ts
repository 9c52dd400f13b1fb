/**
 * The pattern of one literal path (letters, digits, `-` and `/`) as Azure matches it: without
 * regard to case ("the '/metadata' portion is case-insensitive", reference/azure-imds.md §0.10),
 * with or without a trailing slash, and with doubled slashes read as one: msal-node joins
 * `AZURE_POD_IDENTITY_AUTHORITY_HOST` and the path with a slash of its own, so a host given with a
 * trailing slash asks for `//metadata/identity/oauth2/token/`.
 */
export function azurePath(path: string): RegExp {
  return new RegExp(`^${path.replaceAll('/', '/+')}/*$`, 'i');
}
