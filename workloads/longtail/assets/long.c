/*
 * Dyno's stand-in for schedcp's assets/long.c: a slow "integration test" doing a fixed amount of CPU work,
 * the same on every run, so that a scheduler that gives it less CPU makes it take longer.
 * One unit is about 1 ms of one 2020s x86 core. Size it at build time with -DWORK_UNITS=N
 * (default 20000, about 20 s of one core) or with an argument: ./long [units]
 * Self-contained on purpose: the schedcp case copies this one file and builds it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef WORK_UNITS
#define WORK_UNITS 20000
#endif

#define ITERATIONS_PER_UNIT 42000L

int main(int argc, char **argv) {
    long units = argc > 1 ? atol(argv[1]) : WORK_UNITS;
    volatile double sink = 0.0;
    double x = 0.5;
    for (long u = 0; u < units; u++) {
        for (long i = 0; i < ITERATIONS_PER_UNIT; i++) {
            x = sqrt(x * x + 1.0) * sin(x) + 1.0;
        }
        sink += x;
    }
    printf("long: %ld units done (%.3f)\n", units, sink);
    return 0;
}
