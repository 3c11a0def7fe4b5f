package io.tokenrotation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** When rotations may run: a cron schedule in a time zone, optionally only inside a window. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScheduleSpec {
  @Required
  @Size(max = 128)
  @Pattern(ApiPatterns.CRON)
  @JsonPropertyDescription(
      "Five cron fields (minute hour day-of-month month day-of-week, names like MON and JAN"
          + " allowed) or @yearly, @monthly, @weekly, @daily, @hourly. Without interval a rotation"
          + " is due at each run; with interval, at the first run after the interval is over.")
  private String cron;

  @Default("UTC")
  @Size(max = 64)
  @JsonPropertyDescription(
      "The IANA time zone whose wall clock the cron fields read, e.g. Europe/Berlin. A run in a"
          + " daylight-saving gap happens when the clock resumes (02:30 -> 03:30); a run in a"
          + " repeated hour happens once.")
  private String timeZone;

  @Pattern(ApiPatterns.DURATION)
  @JsonPropertyDescription(
      "How long after each run a rotation may start (a maintenance window), e.g. 2h; shorter than"
          + " the time between runs. A token that would expire before the next window opens is"
          + " rotated anyway, with an event. Unset: a missed run is caught up at once.")
  private String window;

  public String getCron() {
    return cron;
  }

  public void setCron(String cron) {
    this.cron = cron;
  }

  public String getTimeZone() {
    return timeZone;
  }

  public void setTimeZone(String timeZone) {
    this.timeZone = timeZone;
  }

  public String getWindow() {
    return window;
  }

  public void setWindow(String window) {
    this.window = window;
  }
}
