import { useEffect } from "preact/hooks";
import { LoadFailed, Loading } from "../../components/Status";
import { api, type Page as ApiPage } from "../../lib/api";
import { downloadCsv } from "../../lib/download";
import { formatTime } from "../../lib/time";
import type { Attendance, NetEvent, ScanLogEntry } from "../../lib/types";
import { useLoad } from "../../lib/useLoad";
import { ArrivalsChart } from "./ArrivalsChart";

const REFRESH_MS = 5000;

/** The live door: counts, arrivals over time, each station, the latest scans. Refreshes by itself. */
export function Dashboard(props: { event: NetEvent }) {
  const id = props.event.id;
  const zone = props.event.timezone;
  const attendance = useLoad(() => api<Attendance>(`/events/${id}/attendance`), [id]);
  const scans = useLoad(() => api<ApiPage<ScanLogEntry>>(`/events/${id}/checkins`, { query: { per_page: 8 } }), [id]);
  const { reload: reloadAttendance } = attendance;
  const { reload: reloadScans } = scans;
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") {
        reloadAttendance();
        reloadScans();
      }
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reloadAttendance, reloadScans]);

  const a = attendance.data;
  if (!a) return attendance.error ? <LoadFailed error={attendance.error} retry={attendance.reload} /> : <Loading what="attendance" />;
  // A waitlist only exists where places are limited; "Registered" is its own tile, so "Checked in" is a plain count.
  // Someone who met someone in the room came without being checked in: their own tile, so that checked in + met
  // someone + not arrived yet = registered.
  const limited = props.event.capacity !== null;
  const metOnly = a.met_without_check_in;
  const stats = [
    { label: "Checked in", value: a.checked_in },
    { label: "Inside now", value: a.inside_now },
    ...(metOnly > 0 ? [{ label: "Met someone, not checked in", value: metOnly }] : []),
    { label: "Not arrived yet", value: a.no_shows },
    { label: "Registered", value: a.registered, of: limited ? props.event.capacity : null },
    ...(limited && (props.event.waitlist_enabled || a.waitlisted > 0) ? [{ label: "Waitlisted", value: a.waitlisted }] : []),
  ];
  return (
    <>
      <p class="muted" aria-live="off">
        Updated {formatTime(a.generated_at, zone)} · refreshes every {REFRESH_MS / 1000} s
        {attendance.error ? " · the last refresh failed, retrying" : ""}
      </p>
      <div class="stats" data-testid="attendance">
        {stats.map((stat) => (
          <div class="stat" data-stat={stat.label}>
            <span class="value">{stat.value}</span>
            <span class="label">{stat.label}{"of" in stat && stat.of != null && <span class="of"> · {stat.of} places</span>}</span>
          </div>
        ))}
      </div>
      <section class="card">
        <h3>Arrivals (per 5 minutes)</h3>
        <ArrivalsChart arrivals={a.arrivals} timeZone={zone} />
      </section>
      <section class="card">
        <h3>Door stations</h3>
        {a.stations.length === 0 ? <p class="muted">No stations yet. Add one under <a href={`/organize/events/${id}/stations`}>Stations</a>.</p> : (
          <div class="table-wrap">
            <table>
              <thead><tr><th scope="col">Station</th><th scope="col">Accepted</th><th scope="col">Not accepted <span class="muted">(incl. shown twice)</span></th><th scope="col">Last scan</th></tr></thead>
              <tbody>
                {a.stations.map((station) => (
                  <tr>
                    <td>{station.name}{station.kind === "poster" && <span class="tag"> poster</span>}{station.status === "revoked" && <span class="tag bad"> revoked</span>}</td>
                    <td>{station.accepted}</td>
                    <td>{station.rejected}</td>
                    <td>{station.last_scan_at ? formatTime(station.last_scan_at, zone) : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section class="card">
        <h3>Latest scans</h3>
        {scans.data && scans.data.items.length === 0 && <p class="muted">No scans yet.</p>}
        <ul class="list">
          {scans.data?.items.map((scan) => (
            <li class="attendee">
              <div>
                <span class="who">{scan.attendee_name ?? "Unknown badge"}</span>
                <span class="muted"> · {scan.station_name ?? (scan.by === "join" ? "Join link" : "Organizer")} · {formatTime(scan.scanned_at, zone)}</span>
                {scan.result === "rejected" && !scan.undone_at && <div class="muted">{scan.message}</div>}
              </div>
              {scan.undone_at ? <span class="tag">Undone</span> : scan.result === "accepted"
                ? <span class="tag ok">✓ {scan.direction === "exit" ? "Left" : "In"}</span>
                : scan.reason === "already_checked_in"
                  ? <span class="tag warn">↺ Already inside</span>
                  : <span class="tag bad">✕ Refused</span>}
            </li>
          ))}
        </ul>
        <p><a href={`/api/v1/events/${id}/checkins?format=csv`} onClick={(event) => {
          event.preventDefault();
          void downloadCsv(`/events/${id}/checkins`, `event-${id}-scans.csv`);
        }}>Download the full scan log (CSV)</a></p>
      </section>
    </>
  );
}
