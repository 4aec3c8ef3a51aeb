// The organisation being worked on, and what the signed-in person may do in it.
import { createContext, useContext } from 'react';
import type { Organisation, SessionInfo } from './api/types.ts';

export type OrgState = {
  org: Organisation;
  session: SessionInfo;
  can: (permission: string) => boolean;
};

export const OrgContext = createContext<OrgState | null>(null);

export function useOrg(): OrgState {
  const state = useContext(OrgContext);
  if (!state) throw new Error('useOrg outside an organisation');
  return state;
}
