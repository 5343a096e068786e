/**
 * Every default of the bootstrap module, in one place, each with its reason; the props docs quote them.
 */
export const BOOTSTRAP_DEFAULTS = Object.freeze({
  /** IAM path of the roles it creates: the root path, where IAM puts roles without one. */
  rolePath: "/",
  /** A pipeline role's session: one hour, IAM's default and enough for a plan or an apply. */
  maxSessionSeconds: 3600,
  /** Days the state bucket keeps a state's earlier versions: 90, to roll back a bad apply. */
  noncurrentVersionDays: 90,
});
