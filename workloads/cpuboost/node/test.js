// The CPU boost guide's Node.js test (test case 6): start-up with heavy packages.
//
// Phase 1 loads webpack, @babel/core, typescript, react and lodash (reading, compiling and running
// thousands of modules); phase 2 is a first piece of work with lodash. Prints a line per phase,
// then `=== METRICS_JSON ===` and one JSON object. Durations are seconds (Dyno reads `*_time`
// fields as seconds): import_time, first_processing_time, node_boot_time (process start to this
// script's first line) and total_time (from the process start, so Node's own start-up is included,
// as a container's would be). container_start_time is the epoch second the process started.
//
// Packages are found the usual way or through NODE_PATH, so the script can be copied anywhere:
//   NODE_PATH=/path/to/workloads/cpuboost/node/node_modules node test.js
const { performance } = require('perf_hooks');
const os = require('os');

// process.uptime(): seconds since Node's process started, read before anything else is loaded.
const bootSeconds = process.uptime();
const processStartMs = Date.now() - bootSeconds * 1000;

const metrics = {
    test_name: 'nodejs_load',
    // The CPUs this process may run on (its affinity); Node before 18.14 only knows all of them.
    cpu_allocated: typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length,
    container_start_time: processStartMs / 1000,
    node_boot_time: bootSeconds,
    node_version: process.version,
};

// Phase 1: Module loading
console.log('=== Phase 1: Module Loading ===');
const start1 = performance.now();
const webpack = require('webpack');
const babel = require('@babel/core');
const typescript = require('typescript');
const React = require('react');
const _ = require('lodash');
metrics.import_time = (performance.now() - start1) / 1000;
console.log(`Import completed in ${metrics.import_time.toFixed(2)}s ` +
    `(webpack ${webpack.version}, babel ${babel.version}, typescript ${typescript.version}, ` +
    `react ${React.version}, lodash ${_.VERSION})`);

// Phase 2: First processing
console.log('\n=== Phase 2: First Processing ===');
const start2 = performance.now();
const data = _.range(1000000);
const result = _.map(data, n => n * 2);
const sum = _.sum(result);
metrics.first_processing_time = (performance.now() - start2) / 1000;
console.log(`First processing: ${metrics.first_processing_time.toFixed(2)}s (sum ${sum})`);

metrics.total_time = process.uptime();

console.log('\n=== METRICS_JSON ===');
console.log(JSON.stringify(metrics, null, 2));
