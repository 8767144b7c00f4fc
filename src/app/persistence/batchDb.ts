// The current batch in IndexedDB (images as Blobs, scores as typed arrays: both stored natively),
// so a reload brings it back until the user clears it. One record, replaced on every save.
import type { BatchRecord } from '../batch/types.ts';

const DB_NAME = 'muscope';
const STORE = 'batch';
const KEY = 'current';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function transact<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

export async function loadBatch(): Promise<BatchRecord | null> {
  const record = await transact<BatchRecord | undefined>(
    'readonly',
    (s) => s.get(KEY) as IDBRequest<BatchRecord | undefined>,
  );
  return record ?? null;
}

// Writes run one after another in the order they were asked for: each opens the database on its
// own, so a save still opening could otherwise land after a later clear and bring the batch back.
let writes: Promise<unknown> = Promise.resolve();

function inOrder(write: () => Promise<unknown>): Promise<void> {
  const done = writes.then(write, write).then(() => undefined);
  writes = done.catch(() => undefined);
  return done;
}

export function saveBatch(record: BatchRecord): Promise<void> {
  return inOrder(() => transact('readwrite', (s) => s.put(record, KEY)));
}

export function clearSavedBatch(): Promise<void> {
  return inOrder(() => transact('readwrite', (s) => s.delete(KEY)));
}
