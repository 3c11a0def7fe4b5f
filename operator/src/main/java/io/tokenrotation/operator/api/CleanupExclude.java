package io.tokenrotation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Tokens a TokenCleanupPolicy never touches, whatever its selector says. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CleanupExclude {
  @Size(max = 500)
  @JsonPropertyDescription("Public token ids (dt0c01.XXXX), never the full token.")
  private List<@Pattern(ApiPatterns.TOKEN_ID) @Size(max = 128) String> ids;

  @Size(max = 500)
  @JsonPropertyDescription("Exact token names.")
  private List<@Size(min = 1, max = 256) String> names;

  public List<String> getIds() {
    return ids;
  }

  public void setIds(List<String> ids) {
    this.ids = ids;
  }

  public List<String> getNames() {
    return names;
  }

  public void setNames(List<String> names) {
    this.names = names;
  }
}
