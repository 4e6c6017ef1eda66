// After a bulk walk (indexing a big keyspace), most of what it allocated is
// garbage in V8's old space, and V8's memory reducer hands it back to the OS
// only ~30 s later: the UI stood 50–60 MB above its steady size meanwhile
// (test/bench/keys.mjs). One full collection right away returns it.
import v8 from 'node:v8';
import vm from 'node:vm';

let collect: (() => void) | null | undefined;

export const releaseMemory = (): void => {
	if (collect === undefined) {
		try {
			// A context created after the flag carries V8's gc() extension.
			v8.setFlagsFromString('--expose-gc');
			collect = vm.runInNewContext('gc') as () => void;
		} catch {
			collect = null;
		}
	}
	collect?.();
};
