/** The OCI distribution client: references, credentials, push, pull, tags and catalog. */
export { RegistryClient, pullScope, pushScope } from './client.js';
export { lookupCredentials, parseCredsFlag, storedCredentials, type CredentialSource, type Credentials } from './credentials.js';
export type { ManifestBytes, PushBlob } from './payloads.js';
export { MediaType } from './media-types.js';
export { readRemoteImage, type RemoteImage, type RemoteImageOptions } from './remote-image.js';
export type { Platform } from '../../../src-shared/image-model.js';
export { pushImage, type PushEvent, type PushOptions, type PushResult, type BlobAction } from './push.js';
export { PushRecords, type BlobLocations } from './push-records.js';
export { parseReference, formatReference, isLoopback, redactUserinfo, type ImageReference } from '../../../src-shared/reference.js';
export { DEFAULT_RETRY, type RetryPolicy, type TransportOptions } from './transport.js';
