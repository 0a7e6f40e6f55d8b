import { AsyncLocalStorage } from 'node:async_hooks';
import type { Principal } from './principal.js';

interface Store {
  requestId: string;
  principal?: Principal;
}

const storage = new AsyncLocalStorage<Store>();

/** The acting principal and request id travel with the request so the audit log needs no extra arguments. */
export const RequestContext = {
  run<T>(store: Store, work: () => T): T {
    return storage.run(store, work);
  },
  setPrincipal(principal: Principal): void {
    const store = storage.getStore();
    if (store) store.principal = principal;
  },
  principal(): Principal | undefined {
    return storage.getStore()?.principal;
  },
  requestId(): string | undefined {
    return storage.getStore()?.requestId;
  },
};
