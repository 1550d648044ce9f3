/** `shared-services` -> `SharedServices`: account types and names as they appear inside IAM names. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

/** How IAM compares an account type once it is folded into names like `<Type>Assume<Role>`. */
export function typeKey(type: string): string {
  return pascalCase(type).toLowerCase();
}
