# Sourced by the example scripts. netdim refuses an option given twice, so a script
# cannot just append the user's flags to its own: `merge_flags DEFAULTS "$@"` sets the
# array `flags` to the user's arguments after every FLAG VALUE pair of the array named
# DEFAULTS whose FLAG the user did not give (as FLAG or FLAG=VALUE).
merge_flags() {
  local -n defaults_=$1
  shift
  flags=()
  local i arg given
  for ((i = 0; i < ${#defaults_[@]}; i += 2)); do
    given=0
    for arg in "$@"; do
      [[ $arg == "${defaults_[i]}" || $arg == "${defaults_[i]}="* ]] && given=1
    done
    ((given)) || flags+=("${defaults_[i]}" "${defaults_[i + 1]}")
  done
  flags+=("$@")
}
