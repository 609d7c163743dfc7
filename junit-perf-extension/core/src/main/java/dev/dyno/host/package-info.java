/**
 * What the Linux kernel tells about this machine and its processes, parsed in one place:
 * {@code /proc/stat}, {@code /proc/<pid>/stat}, {@code mountinfo}, and cgroup counter files. Every
 * module that measures the host reads it through here. Depends on nothing else of Dyno's.
 */
package dev.dyno.host;
