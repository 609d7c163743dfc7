package dev.dyno.gpu;

import dev.dyno.load.LoadProfile;

/** A deliberate violation for ArchitectureRulesCanFailTests: one capability using another's annotation. */
public final class GpuUsingLoad {

    private GpuUsingLoad() {
    }

    static boolean isUnderLoad(java.lang.reflect.Method method) {
        return method.isAnnotationPresent(LoadProfile.class);
    }
}
