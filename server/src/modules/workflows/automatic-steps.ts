/**
 * The automatic steps an `auto` node may name. Core and plugins register theirs the same way;
 * publishing refuses a flow naming a step nobody registered.
 */
export function createAutomaticStepRegistry() {
  const steps = new Set<string>(['system.noop']);
  return {
    registerAutomaticStep(name: string): void {
      if (!/^[a-z][a-z0-9_-]*\.[a-z][a-z0-9_.-]*$/.test(name)) throw new Error(`automatic step "${name}" must look like namespace.step`);
      steps.add(name);
    },
    hasAutomaticStep: (name: string) => steps.has(name),
    automaticSteps: (): string[] => [...steps].sort(),
  };
}

export type AutomaticStepRegistry = ReturnType<typeof createAutomaticStepRegistry>;
