import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('lamina', { version: '0.1.0' });
