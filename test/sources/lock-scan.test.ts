import {describe, expect, it} from 'vitest';
import {notifyCoverage} from '../../source/sources/lock-scan';

describe('notifyCoverage', () => {
	it('needs the keyspace channel plus set, del and expired events', () => {
		expect(notifyCoverage('KA')).toEqual({covered: true, missing: []});
		expect(notifyCoverage('Kg$x')).toEqual({covered: true, missing: []});
		expect(notifyCoverage('AKE')).toEqual({covered: true, missing: []});
		expect(notifyCoverage('')).toEqual({covered: false, missing: ['K', '$', 'g', 'x']});
		expect(notifyCoverage('EA')).toEqual({covered: false, missing: ['K']}); // keyevent only
		expect(notifyCoverage('Kg')).toEqual({covered: false, missing: ['$', 'x']});
	});
});
