package io.lifeboat.common.libvirt;

import io.lifeboat.common.Nullable;

/**
 * The io-error event's details ({@code <srcPath> (<devAlias>) <action> [due to <reason>]}).
 *
 * @param action none, pause or report (libvirt I/O error actions 0-2)
 * @param reason io-error-reason only, e.g. {@code enospc}, {@code eio}
 */
public record IoErrorInfo(@Nullable String srcPath, @Nullable String devAlias, @Nullable String action,
                          @Nullable String reason) {
}
