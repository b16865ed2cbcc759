/**
 * Every runner of an account books its turns from one schedule in Redis, on Redis's clock (TIME) so runners
 * whose clocks differ share one even schedule. KEYS: runners (hash id → "rps:seenAtMs"), schedule (hash: next
 * free slot, pausedUntil). ARGV: op ("reserve" | "pause" | "leave"), runner id, rps (for pause: ms), margin ms
 * (spacing (1000 + margin) / whole rps), ms a runner stays live unbooked, ms the keys outlive the last slot.
 * reserve returns { waitMs, paceRps } as strings, since Redis truncates Lua numbers to integers; paceRps is the
 * slowest live runner's rate. pause and leave return an empty list.
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
