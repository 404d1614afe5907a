import { safeStorage } from 'electron';
import type { SecretSealer } from '../engine/logins/secret-keepers.js';

/**
 * Electron's safeStorage as the engine's SecretSealer, when the OS has a keychain
 * to back it (on Linux without one, safeStorage would fall back to a fixed key,
 * which is no protection: then registry secrets stay with a helper or the session).
 */
export function safeStorageSealer(): SecretSealer | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return undefined;
  return { encrypt: (plain) => safeStorage.encryptString(plain), decrypt: (sealed) => safeStorage.decryptString(sealed) };
}
