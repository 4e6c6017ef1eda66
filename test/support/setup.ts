// Runs in every test worker before the test file is imported: Ink reads
// CI and colour support at import time, so both are fixed here.
delete process.env['CI'];
delete process.env['CONTINUOUS_INTEGRATION'];
process.env['FORCE_COLOR'] = '0';
delete process.env['NO_COLOR'];
// Clock times in frames (slowlog time column, timestamps) are local time: fix the zone.
process.env['TZ'] = 'UTC';
