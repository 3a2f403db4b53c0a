-- Claims a push (see Claims#claim). KEYS: retry, turn, nonce, rate, held (the person's pushes
-- waiting in the backlog), then the person's conversation-state keys. ARGV: retry TTL s, turn
-- token, turn lease ms, dedup key, nonce TTL s, per-minute limit, liveness prefix, instance,
-- '1' to take the person's turn when free ('0' for a push that will be kept, not handled).
-- Returns {3} a replayed signature, {4} too fast, {0, earlier answer, pending:<instance> or kept},
-- or {1 | 5 (taken over from a dead instance), held} and, when the person's turn was free and is
-- now ours, {1 | 5, '', state...} with their conversation state read in the same step.
local seen = redis.call('get', KEYS[3])
if seen and seen ~= ARGV[4] then return {3, ''} end
if not seen then redis.call('set', KEYS[3], ARGV[4], 'EX', ARGV[5]) end
local mine = 'pending:' .. ARGV[8]
local outcome = 0
if redis.call('set', KEYS[1], mine, 'NX', 'EX', ARGV[1]) then
  local n = redis.call('incr', KEYS[4])
  if n == 1 then redis.call('expire', KEYS[4], 60) end
  if n > tonumber(ARGV[6]) then redis.call('del', KEYS[1]) return {4, ''} end
  outcome = 1
else
  local held = redis.call('get', KEYS[1]) or ''
  if string.sub(held, 1, 8) == 'pending:' then
    local owner = string.sub(held, 9)
    if owner ~= ARGV[8] and redis.call('exists', ARGV[7] .. owner) == 0 then
      redis.call('set', KEYS[1], mine, 'EX', ARGV[1])
      outcome = 5
    end
  end
  if outcome == 0 then return {0, held} end
end
local kept = redis.call('get', KEYS[5]) or ''
if kept ~= '' then return {outcome, kept} end
if ARGV[9] ~= '1' then return {outcome, ''} end
local turn = redis.call('set', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[3])
if not turn then
  local owner = string.match(redis.call('get', KEYS[2]) or '', '^([^|]+)|')
  if owner and owner ~= ARGV[8] and redis.call('exists', ARGV[7] .. owner) == 0 then
    redis.call('set', KEYS[2], ARGV[2], 'PX', ARGV[3])
    turn = true
  end
end
if not turn then return {outcome, ''} end
local answer = {outcome, ''}
for i = 6, #KEYS do answer[#answer + 1] = redis.call('get', KEYS[i]) or '' end
return answer
