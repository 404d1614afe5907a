import { connectionLost } from '../store/connection';
import { pickBridge } from './bridge';
import { createApi } from './client';

/** The page's API client, made once at start-up. */
export const api = createApi(pickBridge(connectionLost));
