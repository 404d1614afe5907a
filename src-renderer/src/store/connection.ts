import { create } from 'zustand';

/**
 * Whether the page still reaches the engine. Only a transport that can drop (the
 * WebSocket of `lamina serve`) ever reports a loss; the UI just shows it.
 */
export const useConnection = create<{ lost: boolean }>()(() => ({ lost: false }));

export function connectionLost(): void {
  useConnection.setState({ lost: true });
}
