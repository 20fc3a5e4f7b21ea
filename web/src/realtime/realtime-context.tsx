import { createContext, type ReactNode, useContext } from 'react';
import { useApiClient } from '../api/api-context';
import { type RealtimeConnection, useRealtimeConnection } from './use-realtime-connection';

const RealtimeContext = createContext<RealtimeConnection | null>(null);

/** Opens the realtime connection for the signed-in part of the app. */
export function RealtimeProvider({ children }: { children: ReactNode }) {
  const connection = useRealtimeConnection(useApiClient());
  return <RealtimeContext value={connection}>{children}</RealtimeContext>;
}

export function useRealtime(): RealtimeConnection {
  const connection = useContext(RealtimeContext);
  if (!connection) throw new Error('useRealtime must be used inside RealtimeProvider');
  return connection;
}
