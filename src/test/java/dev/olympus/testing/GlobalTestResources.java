package dev.olympus.testing;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/** Every {@code @QuarkusTest} runs against the throwaway PostgreSQL (global scope: one application start). */
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
public final class GlobalTestResources {
    private GlobalTestResources() {}
}
