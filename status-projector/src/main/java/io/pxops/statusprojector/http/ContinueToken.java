package io.pxops.statusprojector.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The {@code continue} token of the status API's list: the last ops request key of a page, base64url-encoded so that
 * clients treat it as opaque (as Kubernetes' own) and it needs no escaping in a query string.
 */
final class ContinueToken {

  // namespace (DNS-1123 label) / name (DNS-1123 subdomain)
  private static final Pattern KEY =
      Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?/[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  private ContinueToken() {
  }

  static String encode(String lastKey) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The key a token names, or null when it is not a token this API gave.
   *
   * @param token what the caller sent
   * @return the key, or null
   */
  static String decode(String token) {
    if (token.length() > 400) {
      return null;
    }
    try {
      String key = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      return KEY.matcher(key).matches() ? key : null;
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
  }
}
