/**
 * The one script behind a shared budget: every runner of an account books its turns from one schedule in Redis.
 *
 * KEYS[1]  the live runners, a hash: runner id -> "rps:seenAtMs"
 * KEYS[2]  the schedule, a hash: next (the earliest free slot), pausedUntil
 * ARGV[1]  "reserve" | "pause" | "leave"
 * ARGV[2]  this runner's id
 * ARGV[3]  reserve: this runner's rate (requests per second); pause: how long, in ms
 * ARGV[4]  reserve: the margin in ms (the spacing is (1000 + margin) / whole requests per window, as minTimeMs)
 * ARGV[5]  how long a runner that has not booked a turn still counts as live, in ms
 * ARGV[6]  how long the keys outlive the last slot booked or pause, in ms
 *
 * reserve returns { waitMs, paceRps } as strings (Redis would truncate a Lua number to an integer): the wait from
 * now until this runner's slot, and the rate the slot was spaced at, the slowest live runner's. pause and leave
 * return an empty list.
 *
 * All times are Redis's own clock (TIME), so runners on machines whose clocks differ still book one even schedule.
 */
export const SHARED_SLOTS_LUA = `
-- Before Redis 5, a script that read TIME may only write once told to replicate its effects.
if redis.replicate_commands then redis.replicate_commands() end
local runners, schedule = KEYS[1], KEYS[2]
local op, runner = ARGV[1], ARGV[2]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local staleMs, ttlMs = tonumber(ARGV[5]), tonumber(ARGV[6])
local function ms(x) return string.format('%.3f', x) end

if op == 'leave' then
  redis.call('HDEL', runners, runner)
  return {}
end

local pausedUntil = tonumber(redis.call('HGET', schedule, 'pausedUntil')) or 0
if op == 'pause' then
  pausedUntil = math.max(pausedUntil, now + tonumber(ARGV[3]))
  redis.call('HSET', schedule, 'pausedUntil', ms(pausedUntil))
  -- PEXPIRE takes whole milliseconds only.
  redis.call('PEXPIRE', schedule, math.ceil(pausedUntil - now) + ttlMs)
  return {}
end

-- reserve: this runner is live at its rate; runners not seen for a while have crashed or hang, and stop counting.
redis.call('HSET', runners, runner, ARGV[3] .. ':' .. ms(now))
local pace = tonumber(ARGV[3])
local entries = redis.call('HGETALL', runners)
for i = 1, #entries, 2 do
  local rps, seen = string.match(entries[i + 1], '^([^:]+):(.+)$')
  rps, seen = tonumber(rps), tonumber(seen)
  if rps == nil or seen == nil or now - seen > staleMs then
    redis.call('HDEL', runners, entries[i])
  elseif rps < pace then
    pace = rps
  end
end
local span = 1000 + tonumber(ARGV[4])
local spacing = math.max(span / math.max(1, math.floor(pace)), span / pace)
local slot = math.max(now, tonumber(redis.call('HGET', schedule, 'next')) or 0, pausedUntil)
redis.call('HSET', schedule, 'next', ms(slot + spacing))
local keepMs = math.ceil(slot + spacing - now) + ttlMs
redis.call('PEXPIRE', runners, keepMs)
redis.call('PEXPIRE', schedule, keepMs)
return { ms(slot - now), tostring(pace) }
`;
