// Lua scripts of the Redis call router. Each runs atomically, which is what keeps forwarding and takeover free of
// races: an event is appended to an owner's inbox only while that owner holds the lease, and a takeover moves
// the lease and drains the previous owner's inbox in one step. Keys are built from the prefix inside the
// scripts, so they need a single Redis node (or Sentinel), not Cluster.
//
// A lease is a hash `lease:<id>` { owner, token, exp }: `token` is the fencing token (the store's clock in
// microseconds when the lease was won, so a later lease always has a larger token, across restarts) and `exp`
// the store's clock (Redis TIME, milliseconds) at which it lapses. Every write of a call checks owner and token,
// so a stale owner can write nothing. A lapsed lease is taken over only `grace` ms after `exp`, and never while
// the store is quiet: right after it was down, restarted or stalled (a gap in the clock every script ticks),
// when owners first get a lease time to re-assert their calls.

const helpers = `
local function now()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function newToken()
  local t = redis.call('TIME')
  return string.format('%.0f', tonumber(t[1]) * 1000000 + tonumber(t[2]))
end

-- Every script ticks the store's clock; a gap of more than half a lease means the store did not serve (down,
-- restarted, paused): nobody may take a call over for a lease and a grace from now.
local function tick(p, at, ttl, grace)
  local last = tonumber(redis.call('GET', p .. 'clock') or '0')
  if at - last > ttl / 2 then
    local quiet = at + ttl + grace
    if quiet > tonumber(redis.call('GET', p .. 'quiet') or '0') then
      redis.call('SET', p .. 'quiet', string.format('%.0f', quiet), 'PX', ttl * 4 + grace * 4)
    end
  end
  redis.call('SET', p .. 'clock', string.format('%.0f', at))
end

local function lease(p, id)
  local v = redis.call('HMGET', p .. 'lease:' .. id, 'owner', 'token', 'exp')
  if not v[1] then return nil end
  return { owner = v[1], token = v[2], exp = tonumber(v[3]) }
end

local function takeable(p, l, at, grace)
  if l and at <= l.exp + grace then return false end
  return at >= tonumber(redis.call('GET', p .. 'quiet') or '0')
end

local function grant(p, id, me, token, at, ttl)
  local key = p .. 'lease:' .. id
  redis.call('HSET', key, 'owner', me, 'token', token, 'exp', string.format('%.0f', at + ttl))
  redis.call('PEXPIRE', key, math.max(ttl * 20, 60000))
end

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

local function backlog(p, id, me, previous, result)
  if previous and previous ~= me then
    for _, event in ipairs(drain(p .. 'inbox:' .. previous, id)) do result[#result + 1] = event end
  end
  for _, event in ipairs(drain(p .. 'early:' .. id, nil)) do result[#result + 1] = event end
  redis.call('DEL', p .. 'early:' .. id)
  return result
end

local function takeover(p, id, me, at, ttl)
  local callKey = p .. 'call:' .. id
  local previous = redis.call('HGET', callKey, 'owner')
  local token = newToken()
  grant(p, id, me, token, at, ttl)
  redis.call('HSET', callKey, 'owner', me, 'token', token)
  return backlog(p, id, me, previous, { 'takeover', token, redis.call('HGET', callKey, 'snapshot') })
end

local function markSeen(p, id, eventId, ttl)
  if eventId == '' then return end
  local key = p .. 'seen:' .. id
  redis.call('SADD', key, eventId)
  redis.call('PEXPIRE', key, ttl)
end
`;

/**
 * ARGV: prefix, callId, me, event, eventId, leaseTtlMs, graceMs, earlyTtlMs, seenTtlMs.
 * Returns { kind, ... } (see `RouteDecision`), or { 'duplicate' } for an event already queued or applied.
 */
export const routeScript = `${helpers}
local p, id, me, event, eventId = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local ttl, grace, earlyTtl, seenTtl = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
local at = now()
tick(p, at, ttl, grace)
if eventId ~= '' and redis.call('SISMEMBER', p .. 'seen:' .. id, eventId) == 1 then return { 'duplicate' } end
local callKey = p .. 'call:' .. id
local state = redis.call('HGET', callKey, 'state')
if state == 'disconnected' then
  -- The receiving instance applies it (it changes nothing); a redelivery is then a duplicate.
  markSeen(p, id, eventId, seenTtl)
  return { 'ended' }
end
local l = lease(p, id)
local owner = l and l.owner or redis.call('HGET', callKey, 'owner')
if owner and not (state and takeable(p, l, at, grace)) then
  local inbox = p .. 'inbox:' .. owner
  if owner == me and l and redis.call('XLEN', inbox) == 0 then return { 'local', l.token } end
  redis.call('XADD', inbox, '*', 'callId', id, 'event', event)
  markSeen(p, id, eventId, seenTtl)
  return { 'forwarded', owner }
end
if not state then
  local early = p .. 'early:' .. id
  redis.call('XADD', early, 'MAXLEN', '~', '256', '*', 'event', event)
  redis.call('PEXPIRE', early, earlyTtl)
  markSeen(p, id, eventId, seenTtl)
  return { 'parked' }
end
return takeover(p, id, me, at, ttl)
`;

/** ARGV: prefix, callId, me, leaseTtlMs, graceMs. Takes an orphaned call over; returns {} when it is not one. */
export const takeoverScript = `${helpers}
local p, id, me, ttl, grace = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
local at = now()
tick(p, at, ttl, grace)
local callKey = p .. 'call:' .. id
local state = redis.call('HGET', callKey, 'state')
if (not state) or state == 'disconnected' then
  redis.call('SREM', p .. 'live', id)
  return {}
end
if not takeable(p, lease(p, id), at, grace) then return {} end
return takeover(p, id, me, at, ttl)
`;

/**
 * ARGV: prefix, callId, me, leaseTtlMs, graceMs, snapshot, state, mode, token.
 * mode 'claim' (this instance placed, answered or rehydrated the call) takes the lease with a new token.
 * mode 'reassert' (the owner carried the call while the store was unreachable or lost its data) keeps `token`
 * (a new one when empty) unless another instance holds the lease or the stored call names another owner.
 * Returns { 'ok', token, events parked... } or { 'lost', owner }.
 */
export const claimScript = `${helpers}
local p, id, me, ttl, grace = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
local snapshot, state, mode, token = ARGV[6], ARGV[7], ARGV[8], ARGV[9]
local at = now()
tick(p, at, ttl, grace)
local callKey = p .. 'call:' .. id
local previous = redis.call('HGET', callKey, 'owner')
if mode == 'reassert' then
  local l = lease(p, id)
  if l and (l.owner ~= me or (token ~= '' and l.token ~= token)) then return { 'lost', l.owner } end
  if (not l) and previous and previous ~= me then return { 'lost', previous } end
  local stored = redis.call('HGET', callKey, 'token')
  if (not l) and stored and token ~= '' and stored ~= token then return { 'lost', previous or '' } end
  if l then token = l.token end
end
if token == '' or mode ~= 'reassert' then token = newToken() end
grant(p, id, me, token, at, ttl)
redis.call('HSET', callKey, 'owner', me, 'token', token, 'state', state, 'snapshot', snapshot)
redis.call('PERSIST', callKey)
redis.call('SADD', p .. 'live', id)
return backlog(p, id, me, previous, { 'ok', token })
`;

/**
 * ARGV: prefix, me, seenTtlMs, then (callId, token, snapshot, state, seen event ids joined by newlines)
 * quintuples. Writes only calls whose lease this instance holds with that token; returns (callId, owner) pairs
 * of the others.
 */
export const saveScript = `${helpers}
local p, me, seenTtl = ARGV[1], ARGV[2], tonumber(ARGV[3])
local lost = {}
for i = 4, #ARGV, 5 do
  local id, token = ARGV[i], ARGV[i + 1]
  local l = lease(p, id)
  if l and l.owner == me and l.token == token then
    if ARGV[i + 2] ~= '' then
      redis.call('HSET', p .. 'call:' .. id, 'owner', me, 'token', token, 'state', ARGV[i + 3], 'snapshot', ARGV[i + 2])
    end
    for eventId in string.gmatch(ARGV[i + 4], '[^\\n]+') do markSeen(p, id, eventId, seenTtl) end
  else
    lost[#lost + 1] = id
    lost[#lost + 1] = l and l.owner or ''
  end
end
return lost
`;

/**
 * ARGV: prefix, callId, me, token, snapshot, endedTtlMs, seen event ids joined by newlines, seenTtlMs. Writes
 * the final state (with the events applied last, so their redeliveries are recognized) and gives the lease up.
 */
export const releaseScript = `${helpers}
local p, id, me, token, snapshot, ttl = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])
local l = lease(p, id)
if not (l and l.owner == me and l.token == token) then return 0 end
for eventId in string.gmatch(ARGV[7], '[^\\n]+') do markSeen(p, id, eventId, tonumber(ARGV[8])) end
local callKey = p .. 'call:' .. id
redis.call('HSET', callKey, 'state', 'disconnected', 'snapshot', snapshot)
redis.call('PEXPIRE', callKey, ttl)
redis.call('DEL', p .. 'lease:' .. id)
redis.call('SREM', p .. 'live', id)
redis.call('DEL', p .. 'early:' .. id)
return 1
`;

/**
 * ARGV: prefix, me, leaseTtlMs, graceMs, inboxTtlMs, then (callId, token) pairs. Renews the leases this instance
 * holds with those tokens, also ones that lapsed while nobody took them. Returns { storeNow, then (callId,
 * owner) pairs } for the calls it does not hold: owner '' when nobody holds the lease (the store lost it).
 */
export const renewScript = `${helpers}
local p, me, ttl, grace, inboxTtl = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local at = now()
tick(p, at, ttl, grace)
local out = { string.format('%.0f', at) }
for i = 6, #ARGV, 2 do
  local id, token = ARGV[i], ARGV[i + 1]
  local l = lease(p, id)
  if l and l.owner == me and l.token == token then
    grant(p, id, me, token, at, ttl)
  else
    out[#out + 1] = id
    out[#out + 1] = l and l.owner or ''
  end
end
redis.call('PEXPIRE', p .. 'inbox:' .. me, inboxTtl)
return out
`;

/** ARGV: prefix, leaseTtlMs, graceMs. The live calls whose lease may be taken over now. */
export const orphansScript = `${helpers}
local p, ttl, grace = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local at = now()
tick(p, at, ttl, grace)
local orphans = {}
for _, id in ipairs(redis.call('SMEMBERS', p .. 'live')) do
  if takeable(p, lease(p, id), at, grace) then orphans[#orphans + 1] = id end
end
return orphans
`;

/** ARGV: prefix, me, then (callId, token) pairs. Gives up the leases this instance holds, for others to take. */
export const handoffScript = `${helpers}
local p, me = ARGV[1], ARGV[2]
for i = 3, #ARGV, 2 do
  local l = lease(p, ARGV[i])
  if l and l.owner == me and l.token == ARGV[i + 1] then redis.call('DEL', p .. 'lease:' .. ARGV[i]) end
end
return 1
`;

/**
 * ARGV: prefix, eventId, ttlMs. An incoming call is offered to one instance: returns 1 the first time the
 * notification is seen (by any instance), 0 for a redelivery.
 */
export const offerScript = `
local key = ARGV[1] .. 'offer:' .. ARGV[2]
if redis.call('SET', key, '1', 'NX', 'PX', tonumber(ARGV[3])) then return 1 end
return 0
`;
