// Lua scripts of the Redis call router. Each runs atomically, which is what keeps forwarding and takeover free of
// races: an event is appended to an owner's inbox only while that owner holds the lease, and a takeover moves
// the lease and drains the previous owner's inbox in one step. Keys are built from the prefix inside the
// scripts, so they need a single Redis node (or Sentinel), not Cluster.

const helpers = `
local function drain(stream, id)
  local out = {}
  local entries = redis.call('XRANGE', stream, '-', '+')
  for _, entry in ipairs(entries) do
    local fields = entry[2]
    local callId, event
    for i = 1, #fields, 2 do
      if fields[i] == 'callId' then callId = fields[i + 1] elseif fields[i] == 'event' then event = fields[i + 1] end
    end
    if id == nil or callId == id then
      out[#out + 1] = event
      redis.call('XDEL', stream, entry[1])
    end
  end
  return out
end

local function takeover(p, id, me, ttl)
  local callKey = p .. 'call:' .. id
  local previous = redis.call('HGET', callKey, 'owner')
  redis.call('SET', p .. 'lease:' .. id, me, 'PX', ttl)
  redis.call('HSET', callKey, 'owner', me)
  local result = { 'takeover', redis.call('HGET', callKey, 'snapshot') }
  if previous and previous ~= me then
    for _, event in ipairs(drain(p .. 'inbox:' .. previous, id)) do result[#result + 1] = event end
  end
  for _, event in ipairs(drain(p .. 'early:' .. id, nil)) do result[#result + 1] = event end
  redis.call('DEL', p .. 'early:' .. id)
  return result
end
`;

/** ARGV: prefix, callId, me, event, leaseTtlMs, earlyTtlMs. Returns { kind, ... } (see `RouteDecision`). */
export const routeScript = `${helpers}
local p, id, me, event = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local ttl, earlyTtl = tonumber(ARGV[5]), tonumber(ARGV[6])
local state = redis.call('HGET', p .. 'call:' .. id, 'state')
if state == 'disconnected' then return { 'ended' } end
local owner = redis.call('GET', p .. 'lease:' .. id)
if owner == me then
  local inbox = p .. 'inbox:' .. me
  if redis.call('XLEN', inbox) == 0 then return { 'local' } end
  redis.call('XADD', inbox, '*', 'callId', id, 'event', event)
  return { 'forwarded', me }
end
if owner then
  redis.call('XADD', p .. 'inbox:' .. owner, '*', 'callId', id, 'event', event)
  return { 'forwarded', owner }
end
if not state then
  local early = p .. 'early:' .. id
  redis.call('XADD', early, 'MAXLEN', '~', '256', '*', 'event', event)
  redis.call('PEXPIRE', early, earlyTtl)
  return { 'parked' }
end
return takeover(p, id, me, ttl)
`;

/** ARGV: prefix, callId, me, leaseTtlMs. Takes an orphaned call over; returns {} when it is not orphaned. */
export const takeoverScript = `${helpers}
local p, id, me, ttl = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
if redis.call('EXISTS', p .. 'lease:' .. id) == 1 then return {} end
local callKey = p .. 'call:' .. id
local state = redis.call('HGET', callKey, 'state')
if (not state) or state == 'disconnected' then
  redis.call('SREM', p .. 'live', id)
  return {}
end
return takeover(p, id, me, ttl)
`;

/** ARGV: prefix, callId, me, leaseTtlMs, snapshot, state. Returns the events parked for the call. */
export const claimScript = `${helpers}
local p, id, me, ttl, snapshot, state = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5], ARGV[6]
local callKey = p .. 'call:' .. id
local previous = redis.call('HGET', callKey, 'owner')
redis.call('SET', p .. 'lease:' .. id, me, 'PX', ttl)
redis.call('HSET', callKey, 'owner', me, 'state', state, 'snapshot', snapshot)
redis.call('PERSIST', callKey)
redis.call('SADD', p .. 'live', id)
local result = {}
if previous and previous ~= me then
  for _, event in ipairs(drain(p .. 'inbox:' .. previous, id)) do result[#result + 1] = event end
end
for _, event in ipairs(drain(p .. 'early:' .. id, nil)) do result[#result + 1] = event end
redis.call('DEL', p .. 'early:' .. id)
return result
`;

/** ARGV: prefix, me, then (callId, snapshot, state) triples. Returns (callId, owner) pairs of calls not owned. */
export const saveScript = `
local p, me = ARGV[1], ARGV[2]
local lost = {}
for i = 3, #ARGV, 3 do
  local id = ARGV[i]
  local owner = redis.call('GET', p .. 'lease:' .. id)
  if owner == me then
    redis.call('HSET', p .. 'call:' .. id, 'owner', me, 'state', ARGV[i + 2], 'snapshot', ARGV[i + 1])
  else
    lost[#lost + 1] = id
    lost[#lost + 1] = owner or ''
  end
end
return lost
`;

/** ARGV: prefix, callId, me, snapshot, endedTtlMs. Writes the final state and gives the lease up. */
export const releaseScript = `
local p, id, me, snapshot, ttl = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
local callKey = p .. 'call:' .. id
redis.call('HSET', callKey, 'state', 'disconnected', 'snapshot', snapshot)
redis.call('PEXPIRE', callKey, ttl)
if redis.call('GET', p .. 'lease:' .. id) == me then redis.call('DEL', p .. 'lease:' .. id) end
redis.call('SREM', p .. 'live', id)
redis.call('DEL', p .. 'early:' .. id)
return 1
`;

/** ARGV: prefix, me, leaseTtlMs, inboxTtlMs, callIds... Renews the leases; returns (callId, owner) pairs lost. */
export const renewScript = `
local p, me, ttl, inboxTtl = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local lost = {}
for i = 5, #ARGV do
  local id = ARGV[i]
  local key = p .. 'lease:' .. id
  local owner = redis.call('GET', key)
  if owner == me then
    redis.call('PEXPIRE', key, ttl)
  else
    lost[#lost + 1] = id
    lost[#lost + 1] = owner or ''
  end
end
redis.call('PEXPIRE', p .. 'inbox:' .. me, inboxTtl)
return lost
`;

/** ARGV: prefix. The live calls whose lease expired. */
export const orphansScript = `
local p = ARGV[1]
local orphans = {}
for _, id in ipairs(redis.call('SMEMBERS', p .. 'live')) do
  if redis.call('EXISTS', p .. 'lease:' .. id) == 0 then orphans[#orphans + 1] = id end
end
return orphans
`;

/** ARGV: prefix, me, callIds... Gives up the leases this instance holds, so others take the calls over. */
export const handoffScript = `
local p, me = ARGV[1], ARGV[2]
for i = 3, #ARGV do
  local key = p .. 'lease:' .. ARGV[i]
  if redis.call('GET', key) == me then redis.call('DEL', key) end
end
return 1
`;
