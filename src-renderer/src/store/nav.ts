/** Which view is shown, so a view can send a person to the next step ("Push it to a registry") with a real link. */
import { create } from 'zustand';

interface NavState {
  readonly view: string;
  readonly go: (view: string) => void;
}

export const useNav = create<NavState>()((set) => ({
  view: 'compose',
  go: (view) => set({ view }),
}));
