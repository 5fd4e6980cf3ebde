import { MemoryObjectStore } from '../../core/store/memory-object-store.js';
import { describeObjectStore } from './object-store.contract.js';

describeObjectStore('MemoryObjectStore', async () => new MemoryObjectStore());
