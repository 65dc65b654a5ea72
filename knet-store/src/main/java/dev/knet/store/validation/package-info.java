/**
 * Defaulting and validation of API objects, as admission plugins of the store and as a static
 * entry point for tools that have no store.
 *
 * <p>Register {@link dev.knet.store.validation.DefaultingPlugin} first, then any allocators
 * (clusterIP, nodePort), then {@link dev.knet.store.validation.ValidationPlugin}: validation checks
 * the object exactly as it will be stored. Errors carry Kubernetes' field paths and messages, so a
 * user sees what {@code kubectl} would show. {@link dev.knet.store.validation.Validation#validate}
 * defaults a copy and validates it, for the CLI's {@code --dry-run}.
 */
package dev.knet.store.validation;
