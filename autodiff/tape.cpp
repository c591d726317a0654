#include "netdim/autodiff/tape.hpp"

namespace netdim {

template class Tape<float>;
template class Tape<double>;
template class Tape<Rational>;
template class Tape<Modular>;

}  // namespace netdim
